-- the debug library must not be reachable.
function on_risk(r)
  print("debug:", debug, rawget(_G, "debug"))
  local registry = debug.getregistry()
end

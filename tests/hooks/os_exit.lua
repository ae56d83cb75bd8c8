-- os.exit must not exist: a hook cannot end chg early, and with success.
function on_risk(r)
  os.exit(0, true)
end

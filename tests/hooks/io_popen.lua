-- io.popen, looked for by every route to a table of globals.
function on_milestone(m)
  for _, env in ipairs({_G, _ENV, load("return _G")(), load("return _ENV")()}) do
    print("io reachable:", rawget(env, "io") ~= nil or env.io ~= nil)
  end
  local p = io.popen("touch /tmp/chg-pwned-io_popen")
end

-- os.execute must not exist: a hook cannot reach a shell.
function on_programme(p)
  os.execute("touch /tmp/chg-pwned-os_execute tests/hooks/PWNED_os_execute")
end

#!/usr/bin/env lua
function on_programme(p)
  chg.flag(p, "warning", "bad \xff byte, a NUL \0 and a bell \a")
  chg.status(p, "risks", "amber", "reason with \xc3 cut short")
  print(pcall(chg.status, p, "two words", "red"))
end

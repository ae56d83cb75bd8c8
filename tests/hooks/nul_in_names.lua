-- "board\0..." is not `board`: C compares up to the NUL, and took it for
-- one (nothing said, the escalation made); each is an error quoting all
-- of the text.
function on_programme(p)
  print(pcall(chg.escalate, p, "board\0 and more", "x"))
  print(pcall(chg.flag, p, "warning\0 and more", "x"))
  print(pcall(chg.status, p, "overall", "red\0 and more", "x"))
  print(pcall(chg.status, p, "a\0b", "red", "x"))
end
function on_risk(r)
  chg.escalate(r, "portfolio\0", "not a level")
end

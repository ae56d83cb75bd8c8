-- a programme check, written once and given the name chg calls it by
local function check(p)
  chg.flag(p, "warning", "checked")
end

on_programe = check

-- Written as Lua linters would have it, `local`: chg calls only the
-- file's global on_risk, so this one would do nothing, silently.
local function on_risk(r)
  chg.flag(r, "error", "local on_risk ran")
end

-- a local with a global of the same name set from it is called
local function check(p)
  chg.flag(p, "warning", "on_programme ran")
end
on_programme = check

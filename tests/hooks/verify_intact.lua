-- verify_intact.lua: named as a second hook after a hostile one.  Every
-- shared library, the string metatable and the base functions must work as
-- Lua made them, and nothing the first hook set may be visible here: a leak
-- changes this file's diagnostics (an error and a flag instead of the note).
local leaked = {}
for k in pairs(_G) do
  if k ~= "_G" then leaked[#leaked + 1] = tostring(k) end
end

local broken = {}
local function check(what, ok)
  if not ok then broken[#broken + 1] = what end
end
local function works(f)
  local ok, res = pcall(f)
  return ok and res
end

check("global from another hook", #leaked == 0)
for _, name in ipairs({"leaked_global", "leaked_g", "leaked_env", "leaked_load", "escaped"}) do
  check("global " .. name, _G[name] == nil and rawget(_G, name) == nil)
end
check("string methods", works(function() return ("abc"):upper() == "ABC" and ("a,b"):find(",", 1, true) == 2 end))
check("string library", works(function()
  return string.upper("x") == "X" and string.rep("ab", 2) == "abab" and string.format("%d", 7) == "7"
    and string.gsub("aaa", "a", "b") == "bbb" and type(string.len) == "function"
end))
check("string metatable", works(function() return ("x"):len() == 1 and #("xyz") == 3 end))
check("table library", works(function()
  local t = {}
  table.insert(t, 1); table.insert(t, 2)
  return #t == 2 and t[2] == 2 and table.concat(t, ",") == "1,2" and table.unpack({5}) == 5
end))
check("math library", works(function() return math.floor(2.5) == 2 and math.pi > 3.14 and math.pi < 3.15 and math.huge > 1e308 end))
check("utf8 library", works(function() return utf8.char(65) == "A" end))
check("coroutine library", works(function() return coroutine.wrap(function() coroutine.yield(3) end)() == 3 end))
check("os library", works(function() return type(os.time()) == "number" and os.date("!%Y", 0) == "1970" end))
check("base functions", works(function()
  return tostring(12) == "12" and tonumber("7") == 7 and type(print) == "function" and select("#", 1, 2) == 2
    and type(pairs) == "function" and type(setmetatable({}, {})) == "table" and rawequal(_G, _ENV)
end))
check("chg library", works(function()
  return type(chg.flag) == "function" and type(chg.escalate) == "function" and type(chg.status) == "function"
    and type(chg.log) == "function"
end))
check("error and pcall", works(function() return pcall(error, "x") == false end))

if #broken == 0 then
  print("verify_intact: libraries intact, no globals leaked")
else
  for _, what in ipairs(broken) do print("verify_intact: BROKEN " .. what) end
  function on_portfolio(pf)
    chg.flag(pf, "error", "verify_intact: " .. table.concat(broken, ", ") .. " changed by another hook")
  end
  error("verify_intact: another hook changed " .. table.concat(broken, ", ") .. " (" .. table.concat(leaked, " ") .. ")")
end

-- Tampering with the shared libraries and the base; verify_intact.lua runs
-- next and fails if any of it reached another hook.
local function try(what, f)
  local ok = pcall(f)
  print(what .. ":", ok and "CHANGED" or "refused")
end
try("string.upper = nil", function() string.upper = nil end)
try("rawset(string)", function() rawset(string, "upper", nil) end)
try("setmetatable(string, nil)", function() setmetatable(string, nil) end)
try("table.insert = f", function() table.insert = function() error("pwned") end end)
try("rawset(table)", function() rawset(table, "concat", nil) end)
try("math.floor = f", function() math.floor = function() return 42 end end)
try("utf8.char = nil", function() utf8.char = nil end)
try("coroutine.wrap = nil", function() coroutine.wrap = nil end)
try("os.time = nil", function() os.time = nil end)
try("chg.flag = nil", function() chg.flag = nil end)
try("rawset(chg)", function() rawset(chg, "escalate", print) end)
try("getmetatable(string).__index", function() getmetatable(string).__index = {} end)
try("setmetatable(_G, nil)", function() setmetatable(_G, nil) end)
try("getmetatable(_G).__index", function() getmetatable(_G).__index.tostring = nil end)
-- the hook's own environment is its own to change: these take, here only
tostring = function() return "pwned" end
string = {upper = function() return "pwned" end}
print = nil
table.insert = nil

-- Tampering with the string metatable, shared by every string of every hook;
-- verify_intact.lua runs next and fails if any of it took.
local function try(what, f)
  local ok = pcall(f)
  print(what .. ":", ok and "CHANGED" or "refused")
end
print("getmetatable(\"\"):", type(getmetatable("")))
try("replace __index", function() getmetatable("").__index = {upper = function() return "pwned" end} end)
try("rawset __index", function() rawset(getmetatable(""), "__index", {}) end)
try("setmetatable on it", function() setmetatable(getmetatable(""), {}) end)
try("method table", function() ("").upper = function() return "pwned" end end)
try("__index via a method", function() local idx = getmetatable(("").upper); idx.x = 1 end)
try("__newindex", function() getmetatable("").__newindex = function() end end)
getmetatable("").__index.upper = function() return "pwned" end

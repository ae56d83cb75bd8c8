-- Recursion through metamethods and C functions: the C stack is bounded too.
local loop = setmetatable({}, {__index = function(t, k) return t[k] end})
print("__index recursion:", pcall(function() return loop.x end))
local function g(s) return (s:gsub(".", g)) end
print("gsub recursion:", pcall(g, "ab"))
local t = setmetatable({}, {__tostring = function(self) return tostring(self) end})
print("__tostring recursion:", pcall(tostring, t))
local chain = setmetatable({}, {})
getmetatable(chain).__index = chain
local v = chain.anything

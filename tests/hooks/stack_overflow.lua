-- Unbounded recursion: Lua's stack limit or the memory cap stops it, at the
-- line of the recursive function.
local function f() return f() + 1 end
function on_programme(p)
  f()
end

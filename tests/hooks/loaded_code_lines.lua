-- a chunk run by chg itself: its records are placed at this file's line 4,
-- which names it, not at the chunk's lines 2 and 3 (comments here)
--
on_programme = load("local p = ...\nchg.flag(p, 'warning', 'w')\nchg.escalate(p, 'board', 'e')")

local f = load("local p = ...\nchg.flag(p, 'warning', 'called: line 9, wrapped: line 10')")
function on_project(p)
  -- called directly, then through a coroutine: lines 9 and 10
  f(p)
  coroutine.wrap(f)(p)
end

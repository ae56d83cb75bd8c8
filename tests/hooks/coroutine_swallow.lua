-- coroutine.resume catches errors as pcall does: a fresh coroutine per turn
-- (each with a fresh count) must not buy a fresh budget.
local turns = 0
while true do
  turns = turns + 1
  coroutine.resume(coroutine.create(function() while true do end end))
end

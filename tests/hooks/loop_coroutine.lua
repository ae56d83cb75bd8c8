-- An endless loop inside a coroutine: the coroutine inherits the count hook,
-- and the budget is the file's, not the thread's.
function on_programme(p)
  local co = coroutine.wrap(function()
    local n = 0
    while true do n = n + 1 end
  end)
  co()
end

-- A memory bomb inside a coroutine: coroutine.resume catches the error, the
-- limit must still be reported, at the line that allocated.
function on_programme(p)
  local co = coroutine.create(function()
    local t = {}
    while true do t[#t + 1] = {} end
  end)
  local ok, err = coroutine.resume(co)
  return ok
end

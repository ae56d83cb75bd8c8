local co = false
for i = 1, 30000 do
  local prev = co
  co = coroutine.create(function()
    local c <close> = setmetatable({}, {__close = function() if prev then coroutine.close(prev) end end})
    coroutine.yield()
  end)
  coroutine.resume(co)
end
local ok, err = coroutine.close(co)
chg.log("closed: " .. tostring(ok))

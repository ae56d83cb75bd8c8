-- The budget is sticky: catching "instruction budget spent" with pcall and
-- going round again must not keep the hook running.
function on_programme(p)
  local caught = 0
  while true do
    local ok, err = pcall(function() while true do end end)
    caught = caught + 1
  end
end

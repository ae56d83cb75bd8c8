-- the function is never closed
function on_programme(p)
  local x = 1

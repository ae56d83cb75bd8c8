-- a syntax error: `= =`
function on_programme(p)
  local x = = 1
end

-- table.move over a trillion empty slots: one C call, no instruction counted.
function on_programme(p)
  local t = table.move({}, 1, 1e12, 2)
  print("moved", #t)
end

for i = 1, 1000000 do
  local s = string.rep("x", 30000000)
end

function on_risk(r)
  local n = 0
  while n >= 0 do                     -- never ends
    n = n + 1
  end
end

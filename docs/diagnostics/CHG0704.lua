function on_risk(r)
  local copies = {}
  for i = 1, 1e9 do
    copies[i] = string.rep(r.title, 1000)
  end
end

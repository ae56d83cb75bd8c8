function on_risk(r)
  local t = {}
  for i = 1, 1e6 do t[i] = "abcdefgh" end
  local s = table.concat(t, ("z"):rep(100)) -- the limit is hit here, and said here
end

local t = {}
for i = 1, 200000 do table.insert(t, i) end
for i = 1, 100000 do table.remove(t) end
table.insert(t, 1, 0)
table.sort(t, function(a, b) return a > b end)
chg.log(#t, t[1], table.concat(t, ",", 1, 3), select("#", table.unpack(t, 1, 5)))
chg.log(select(2, pcall(table.insert, nil, 1)))
chg.log(select(2, pcall(utf8.len, {})))

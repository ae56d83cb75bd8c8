-- line 1
-- line 2
-- line 3
-- line 4
-- line 5
on_programme = coroutine.wrap(load("local t = {}\nfor i = 1, 1e9 do t[i] = i end"))

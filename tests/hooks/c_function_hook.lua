-- a comment
-- another
on_programme = coroutine.wrap(function(p) print(p.id) end)

-- One function failing at four lines for four programmes: each mistake
-- is its own error, where only the first was said (and counted for all
-- four, as if it were one mistake).  The same line failing twice is one
-- error that says so.
function on_programme(p)
  if p.id == "a" then io.open("x") end
  if p.id == "b" then os.execute("ls") end
  if p.id == "c" then local x = nil; return x.y end
  if p.id == "d" or p.id == "e" then io.open("y") end
end

function on_programme(p)
  chg.status(p, string.rep("a", 5000), "red", "long criterion")
end

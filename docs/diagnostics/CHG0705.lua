function on_risk(r)
  print("checking", r.path, "score", r.score)
end

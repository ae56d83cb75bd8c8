function on_risk(r)
  error("before\0after", 0)
end

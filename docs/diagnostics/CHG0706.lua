function on_programe(p)
  print("checking", p.path)
end

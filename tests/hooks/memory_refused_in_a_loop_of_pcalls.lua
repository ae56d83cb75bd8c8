for i = 1, 200 do
  pcall(string.pack, "c100000000", "")
end

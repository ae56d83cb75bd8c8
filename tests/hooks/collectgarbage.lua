-- collectgarbage: "count" only.
print("count:", type(collectgarbage("count")), type(collectgarbage()))
for _, opt in ipairs({"stop", "restart", "step", "incremental", "generational"}) do
  print(opt .. ":", pcall(collectgarbage, opt))
end
collectgarbage("collect")

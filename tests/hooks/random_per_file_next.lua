-- Named after random_per_file.lua: its first draw is the first from the
-- seed every file starts from, whatever the file before it did.
local first = math.random(1000000)
math.randomseed(0)
print(first == math.random(1000000) and "random_per_file_next: the same start as every file"
      or "random_per_file_next: changed by the hook before")

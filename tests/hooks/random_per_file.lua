-- The generator belongs to the math library, which every hook file
-- shares: this file's draws and seed changed what the next file drew.
math.randomseed(42)
for _ = 1, 5 do math.random() end

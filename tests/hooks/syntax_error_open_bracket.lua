-- A block left open: the note points at where it opens on its line -- the
-- bracket still open, not the first word of the line; a keyword, at itself.
function on_programme(p)
  if p then
    print("y(", (1 + 2)
  end
end

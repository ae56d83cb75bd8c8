" .chg files: a portfolio office's change portfolio (the chg tool)
autocmd BufRead,BufNewFile *.chg setfiletype chg

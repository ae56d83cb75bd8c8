" Vim filetype plugin for .chg (the chg tool): comments, indentation, and
" `gq` lays text out with `chg fmt` (a whole file: gggqG).
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal formatprg=chg\ fmt\ -
compiler chg

let b:undo_ftplugin = "setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< formatprg<"

// The program grid of herd's AArch64 litmus dialect: `P0 | P1 ;` then rows of cells
// `LDR W0,[X1,#4] | STLR W2,[X3] ;`. The caller hands over the whole file with everything outside the
// grid blanked, so token positions are the file's own. Mnemonics, registers, conditions, barrier options
// and shift/extend names are plain words; asm/parse_aarch64.cpp tells them apart.
grammar LitmusAArch64;

program : row+ EOF ;
row     : cell (BAR cell)* SEMI ;
cell    : label* instr? ;
label   : WORD COLON ;
instr   : op=WORD (operand (COMMA operand)*)? ;

operand
    : LBRACK WORD (COMMA inner)* RBRACK BANG?   # memOperand
    | imm                                       # immOperand
    | WORD imm?                                 # wordOperand
    | DOT (PLUS | MINUS) NUM                    # offsetOperand
    ;
inner : imm | WORD imm? ;
imm   : HASH? (PLUS | MINUS)? NUM ;

WS      : [ \t\r\n]+ -> skip ;
COMMENT : '(*' .*? '*)' -> skip ;
WORD    : '.'? [a-zA-Z_%] [a-zA-Z_0-9.%]* ;  // `.text`: labels may look like section names
NUM     : [0-9]+ ;
BAR     : '|' ;
SEMI    : ';' ;
COMMA   : ',' ;
COLON   : ':' ;
HASH    : '#' ;
PLUS    : '+' ;
MINUS   : '-' ;
DOT     : '.' ;
BANG    : '!' ;
LBRACK  : '[' ;
RBRACK  : ']' ;

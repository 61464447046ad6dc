// The program grid of herd's X86_64 litmus dialect (AT&T operand order, source first): `P0 | P1 ;` then
// rows of cells `movl $1,(x) | movl (y),%eax ;`. As for X86, the caller blanks everything outside the
// grid so token positions are the file's own; mnemonics, registers and labels are plain words here and
// the builder (src/asm/parse_x86_64.cpp) tells them apart.
grammar LitmusX86_64;

program : row+ EOF ;
row     : cell (BAR cell)* SEMI ;
cell    : label* instr? ;
label   : WORD COLON ;
instr   : LOCK? op=WORD (operand (COMMA operand)*)? ;

operand
    : DOLLAR? MINUS? NUM                                              # immOperand
    | segment? disp? LPAREN base=reg? (COMMA index=reg (COMMA scale=NUM)?)? RPAREN  # memOperand
    | LBRACK WORD RBRACK                                              # bracketOperand
    | PERCENT WORD                                                    # regOperand
    | WORD                                                            # wordOperand
    ;
segment : PERCENT WORD COLON ;
disp    : MINUS? NUM ;
reg     : PERCENT? WORD ;

WS      : [ \t\r\n]+ -> skip ;
COMMENT : '(*' .*? '*)' -> skip ;
// herd accepts `lock; incl (x)`: that `;` does not end the row.
LOCK    : ('LOCK' | 'lock') ([ \t]* ';')? ;
WORD    : [a-zA-Z_] [a-zA-Z_0-9.]* ;
NUM     : '0' [xX] [0-9a-fA-F]+ | [0-9]+ ;
BAR     : '|' ;
SEMI    : ';' ;
COMMA   : ',' ;
COLON   : ':' ;
DOLLAR  : '$' ;
MINUS   : '-' ;
PERCENT : '%' ;
LBRACK  : '[' ;
RBRACK  : ']' ;
LPAREN  : '(' ;
RPAREN  : ')' ;

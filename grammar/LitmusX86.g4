// The program grid of herd's X86 litmus dialect (Intel operand order): `P0 | P1 ;` then rows of cells
// `MOV [x],$1 | MOV EAX,[y] ;`. The caller hands over the whole file with everything outside the grid
// blanked, so token positions are the file's own. Mnemonics and registers are plain words here; the
// builder (src/asm/parse_x86.cpp) tells them apart with herd's case rules.
grammar LitmusX86;

program : row+ EOF ;
row     : cell (BAR cell)* SEMI ;
cell    : label* instr? ;
label   : WORD COLON ;
instr   : LOCK? op=WORD (operand (COMMA operand)*)? ;

operand
    : DOLLAR? MINUS? NUM                    # immOperand
    | LBRACK (WORD | NUM) RBRACK            # memOperand
    | LPAREN WORD RPAREN                    # parenMemOperand
    | WORD                                  # wordOperand
    ;

WS      : [ \t\r\n]+ -> skip ;
COMMENT : '(*' .*? '*)' -> skip ;
// herd accepts `LOCK; INC [x]`: that `;` does not end the row.
LOCK    : ('LOCK' | 'lock') ([ \t]* ';')? ;
WORD    : [a-zA-Z_] [a-zA-Z_0-9.]* ;
NUM     : '0' [xX] [0-9a-fA-F]+ | [0-9]+ ;
BAR     : '|' ;
SEMI    : ';' ;
COMMA   : ',' ;
COLON   : ':' ;
DOLLAR  : '$' ;
MINUS   : '-' ;
LBRACK  : '[' ;
RBRACK  : ']' ;
LPAREN  : '(' ;
RPAREN  : ')' ;

# expect: line 3, "In Python this line is:  for i in range(8):"
def draw():
    for (int i = 0; i < 8; i++) {
        rect(i * 50, 100, 40, 40)
    }

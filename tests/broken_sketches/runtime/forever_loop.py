# expect: line 4, "Make sure every loop can stop."
def draw():
    x = 0
    while True:
        x = x + 1

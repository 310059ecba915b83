# expect: line 6, "this text has 3 letters, numbered 0 to 2"
name = "Sam"


def draw():
    text(name[3], 20, 40)

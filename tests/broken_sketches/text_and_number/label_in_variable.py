# expect: line 6, "Turn it into text with  str(level), or write it all as an f-string:  f"Level {level}!""
level = 1


def draw():
    label = "Level " + level + "!"
    text(label, 20, 40)

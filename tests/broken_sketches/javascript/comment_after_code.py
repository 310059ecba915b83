# expect: line 4, "a comment in Python starts with #, not //"
def draw():
    background("skyblue")
    circle(300, 100, 80); // the sun

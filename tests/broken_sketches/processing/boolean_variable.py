# expect: line 2, "In Python this line is:  raining = False"
boolean raining = false;


def draw():
    if raining:
        background("grey")

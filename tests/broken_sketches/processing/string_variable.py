# expect: line 2, "In Python this line is:  name = "Sam""
String name = "Sam";


def draw():
    background("white")
    text(name, 20, 40)

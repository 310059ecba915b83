"""Classes and objects: fireworks made of sparks, and ants that wander, each object on its own.

A class is a plan for making objects. Every Spark remembers its own place, speed, colour and
how long it has left to live; every Ant remembers where it is and which way it faces. Each
frame, draw() asks every object to move and show itself. Click to set off your own firework.

What it teaches: class, __init__ and self; methods (move, show); lists of objects; a for loop
over a list; removing finished objects.

Run it:   artkit course 35
Copy it:  artkit course 35 --copy      then: artkit run 35_classes_and_objects.py
"""

GROUND = 540
colours = ["#ff595e", "#ffca3a", "#8ac926", "#1982c4", "#ff99c8", "white"]


class Spark:
    def __init__(self, x, y, colour_name):
        angle = random(360)
        speed = random(0.5, 5)
        self.x = x
        self.y = y
        self.dx = cos(angle) * speed
        self.dy = sin(angle) * speed
        self.colour_name = colour_name
        self.life = 255

    def move(self):
        self.x = self.x + self.dx
        self.y = self.y + self.dy
        self.dy = self.dy + 0.05       # gravity pulls it down
        self.dx = self.dx * 0.98       # the air slows it
        self.life = self.life - 3

    def show(self):
        fill(colour(self.colour_name, self.life))
        circle(self.x, self.y, 4)


class Ant:
    def __init__(self):
        self.x = random(600)
        self.y = random(GROUND + 15, 595)
        self.heading = random(360)

    def move(self):
        self.heading = self.heading + random(-25, 25)
        self.x = (self.x + cos(self.heading) * 1.5) % 600
        self.y = constrain(self.y + sin(self.heading) * 1.5, GROUND + 10, 595)

    def show(self):
        fill("black")
        circle(self.x, self.y, 5)
        circle(self.x + cos(self.heading) * 5, self.y + sin(self.heading) * 5, 4)
        circle(self.x - cos(self.heading) * 5, self.y - sin(self.heading) * 5, 6)


sparks = []
ants = []


def firework(x, y):
    colour_name = random_choice(colours)
    for n in range(120):
        sparks.append(Spark(x, y, colour_name))


def setup():
    size(600, 600)
    background("#0b0c2a")
    for n in range(25):
        ants.append(Ant())


def draw():
    no_stroke()
    fill(11, 12, 42, 40)               # a see-through sky leaves short trails
    rect(0, 0, 600, GROUND)
    fill("#7f5539")
    rect(0, GROUND, 600, 60)

    if frame_count % 45 == 1:
        firework(random(100, 500), random(80, 300))

    for spark in sparks:
        spark.move()
        spark.show()
    for spark in sparks[:]:            # go through a copy, so removing is safe
        if spark.life <= 0:
            sparks.remove(spark)

    for ant in ants:
        ant.move()
        ant.show()


def mouse_pressed(x, y):
    firework(x, y)

# expect: line 2, "In Python this line is:  def setup():"
void setup() {
  size(400, 400);
  background(255);
}

void draw() {
  ellipse(mouseX, mouseY, 20, 20);
}

package org.cytolake.report;

import static org.cytolake.report.Html.coord;
import static org.cytolake.report.Html.escape;

/**
 * A small builder of inline SVG markup (no namespace needed inside HTML; every element closed, so
 * the output is also well-formed XML). Text and attribute values are escaped here.
 */
final class Svg {
  private final StringBuilder b = new StringBuilder();

  Svg(double width, double height, String cssClass, String label) {
    b.append("<svg class=\"")
        .append(escape(cssClass))
        .append("\" width=\"")
        .append(coord(width))
        .append("\" height=\"")
        .append(coord(height))
        .append("\" viewBox=\"0 0 ")
        .append(coord(width))
        .append(' ')
        .append(coord(height))
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(label))
        .append("\">");
  }

  Svg raw(String markup) {
    b.append(markup);
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String cssClass) {
    b.append("<line x1=\"")
        .append(coord(x1))
        .append("\" y1=\"")
        .append(coord(y1))
        .append("\" x2=\"")
        .append(coord(x2))
        .append("\" y2=\"")
        .append(coord(y2))
        .append("\" class=\"")
        .append(escape(cssClass))
        .append("\"/>");
    return this;
  }

  /** A rectangle with an optional fill colour and a tooltip ({@code <title>}) when not null. */
  Svg rect(double x, double y, double w, double h, String cssClass, String fill, String title) {
    b.append("<rect x=\"")
        .append(coord(x))
        .append("\" y=\"")
        .append(coord(y))
        .append("\" width=\"")
        .append(coord(Math.max(0, w)))
        .append("\" height=\"")
        .append(coord(Math.max(0, h)))
        .append("\" class=\"")
        .append(escape(cssClass))
        .append('"');
    if (fill != null) {
      b.append(" fill=\"").append(escape(fill)).append('"');
    }
    return closeWithTitle("rect", title);
  }

  Svg circle(double cx, double cy, double r, String cssClass, String title) {
    b.append("<circle cx=\"")
        .append(coord(cx))
        .append("\" cy=\"")
        .append(coord(cy))
        .append("\" r=\"")
        .append(coord(r))
        .append("\" class=\"")
        .append(escape(cssClass))
        .append('"');
    return closeWithTitle("circle", title);
  }

  Svg polyline(double[] xs, double[] ys, String cssClass) {
    b.append("<polyline class=\"").append(escape(cssClass)).append("\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      b.append(i == 0 ? "" : " ").append(coord(xs[i])).append(',').append(coord(ys[i]));
    }
    b.append("\"/>");
    return this;
  }

  /** Text; {@code anchor} is start, middle or end; {@code rotate} degrees about (x, y), or 0. */
  Svg text(double x, double y, String text, String anchor, String cssClass, double rotate) {
    b.append("<text x=\"")
        .append(coord(x))
        .append("\" y=\"")
        .append(coord(y))
        .append("\" text-anchor=\"")
        .append(escape(anchor))
        .append("\" class=\"")
        .append(escape(cssClass))
        .append('"');
    if (rotate != 0) {
      b.append(" transform=\"rotate(")
          .append(coord(rotate))
          .append(' ')
          .append(coord(x))
          .append(' ')
          .append(coord(y))
          .append(")\"");
    }
    b.append('>').append(escape(text)).append("</text>");
    return this;
  }

  private Svg closeWithTitle(String element, String title) {
    if (title == null) {
      b.append("/>");
    } else {
      b.append("><title>").append(escape(title)).append("</title></").append(element).append('>');
    }
    return this;
  }

  String end() {
    return b.append("</svg>").toString();
  }
}

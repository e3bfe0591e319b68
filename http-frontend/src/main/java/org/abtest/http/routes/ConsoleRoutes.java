package org.abtest.http.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.abtest.http.ApiError;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /console}: the admin console, static files from this module's resources and the chart
 * library from its WebJar. No credential is needed for the files themselves: the console signs in
 * with an admin token that it sends on every API call, so the files hold nothing secret.
 */
public final class ConsoleRoutes extends AllDirectives {

  /** Where the console's own files live on the classpath. */
  static final String ASSETS = "abtest-console";

  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  /**
   * Our own files change with every build and carry no version in their URL: browsers revalidate
   * (Last-Modified/ETag come with the resource). The WebJar's files only change with its version.
   */
  private static final List<HttpHeader> REVALIDATE =
      List.of(
          RawHeader.create("Cache-Control", "no-cache"),
          RawHeader.create("X-Content-Type-Options", "nosniff"));

  private static final List<HttpHeader> VENDOR =
      List.of(
          RawHeader.create("Cache-Control", "public, max-age=86400"),
          RawHeader.create("X-Content-Type-Options", "nosniff"));

  private final Optional<String> uplotRoot;

  public ConsoleRoutes() {
    this.uplotRoot = webJarVersion(UPLOT_POM).map(v -> "META-INF/resources/webjars/uplot/" + v);
  }

  public Route route() {
    return pathPrefix(
        "console",
        () ->
            get(
                () ->
                    concat(
                        pathEndOrSingleSlash(
                            () -> own(() -> getFromResource(ASSETS + "/index.html"))),
                        pathPrefix("vendor", this::vendor),
                        own(() -> getFromResourceDirectory(ASSETS)))));
  }

  private Route own(Supplier<Route> inner) {
    return respondWithHeaders(REVALIDATE, () -> mapResponse(ConsoleRoutes::jsonFailure, inner));
  }

  /**
   * The file directives answer a failed If-Match or If-Unmodified-Since themselves with 412 and a
   * text body, past the rejection handler: the API's error body instead.
   */
  static HttpResponse jsonFailure(HttpResponse response) {
    if (response.status().intValue() != 412) {
      return response;
    }
    return ApiDirectives.error(
            new ApiError(
                412,
                "precondition_failed",
                "the file does not match the If-Match or If-Unmodified-Since header sent",
                null))
        .addHeaders(response.getHeaders());
  }

  /** {@code /console/vendor/uplot/…}: the WebJar's files, whatever version the build pinned. */
  private Route vendor() {
    return uplotRoot
        .map(
            root ->
                pathPrefix(
                    "uplot",
                    () ->
                        respondWithHeaders(
                            VENDOR,
                            () ->
                                mapResponse(
                                    ConsoleRoutes::jsonFailure,
                                    () -> getFromResourceDirectory(root)))))
        .orElseGet(this::reject);
  }

  /**
   * The version of a WebJar on the classpath, from the Maven metadata that every WebJar carries.
   */
  static Optional<String> webJarVersion(String pomProperties) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(pomProperties)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pomProperties, e);
    }
  }
}

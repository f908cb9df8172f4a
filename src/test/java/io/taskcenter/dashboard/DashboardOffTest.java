package io.taskcenter.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DashboardOffTest.Off.class)
class DashboardOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("taskcenter.dashboard.enabled", "false");
        }
    }

    @Test
    void everyPageAssetAndTheLiveStreamAnswer404() {
        for (String path : new String[] { "/", "/index.html", "/workers.html", "/dashboard/dashboard.js",
                "/dashboard/style.css", "/js/taskcenter-worker.js", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/api/live" }) {
            given().when().get(path).then().statusCode(404).contentType("application/json")
                    .body("status", equalTo(404)).body("message", containsString("taskcenter.dashboard.enabled"));
        }
    }

    @Test
    void theRestOfTheServiceStaysOn() {
        given().when().get("/api/stats").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
